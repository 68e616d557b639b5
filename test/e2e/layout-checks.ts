/// <reference lib="dom" />
// Measurements of the window as drawn, made in the page: what a person would find cut off or
// out of reach. Each returns the problems it found, in words, so a failure names the control.

import type { Page } from 'playwright-core';

/**
 * Controls (and the short texts that must be read whole: status badges, column headers) that
 * stick out of the window, out of an ancestor that clips them, or whose own text is cut.
 * A control inside a container that scrolls vertically may sit below its fold; it must still
 * fit across, and the window itself must not scroll.
 */
export function clippedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const nameOf = (el: Element) => {
      const label = el.getAttribute('aria-label') ?? (el as HTMLElement).innerText?.trim().split('\n')[0] ?? '';
      return `${el.tagName.toLowerCase()}${el.getAttribute('role') ? `[role=${el.getAttribute('role')}]` : ''} "${label.slice(0, 60)}"`;
    };
    const vw = document.documentElement.clientWidth;
    const vh = document.documentElement.clientHeight;
    if (document.documentElement.scrollWidth > vw + 1) problems.push(`the window scrolls sideways (${document.documentElement.scrollWidth} px wide in ${vw})`);
    if (document.documentElement.scrollHeight > vh + 1) {
      const parts = Array.from(document.querySelector('.app')?.children ?? []).map((c) => `${c.className || c.tagName.toLowerCase()} ${Math.round(c.getBoundingClientRect().height)}`);
      problems.push(`the window scrolls down (${document.documentElement.scrollHeight} px high in ${vh}: ${parts.join(', ')})`);
    }
    const controls = document.querySelectorAll('button, input:not([type=hidden]), select, textarea, a[href], summary, [role=menuitem], [tabindex]:not([tabindex="-1"])');
    const texts = document.querySelectorAll('.badge, [role=columnheader]');
    for (const el of [...Array.from(controls), ...Array.from(texts)]) {
      if (!el.checkVisibility({ visibilityProperty: true })) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const name = nameOf(el);
      let scrollsDown = false;
      for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
        const cs = getComputedStyle(a);
        const ar = a.getBoundingClientRect();
        if (cs.overflowX !== 'visible' && (r.left < ar.left - 1 || r.right > ar.right + 1)) problems.push(`${name} is cut across by ${a.className || a.tagName.toLowerCase()}`);
        // Inside a container that scrolls down, being below its fold is fine, whatever clips further out.
        if (scrollsDown) continue;
        if (cs.overflowY === 'hidden' || cs.overflowY === 'clip') {
          if (r.top < ar.top - 1 || r.bottom > ar.bottom + 1) problems.push(`${name} is cut off by ${a.className || a.tagName.toLowerCase()}`);
        } else if (cs.overflowY !== 'visible') scrollsDown = true;
      }
      if (r.left < -1 || r.right > vw + 1) problems.push(`${name} sticks out of the window across (${Math.round(r.left)}..${Math.round(r.right)} of ${vw})`);
      if (!scrollsDown && (r.top < -1 || r.bottom > vh + 1)) problems.push(`${name} is below or above the window (${Math.round(r.top)}..${Math.round(r.bottom)} of ${vh})`);
      const own = el as HTMLElement;
      if (!['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName) && own.scrollWidth > own.clientWidth + 1 && getComputedStyle(own).overflowX !== 'visible') problems.push(`${name} has its text cut (${own.scrollWidth} px in ${own.clientWidth})`);
    }
    return [...new Set(problems)];
  });
}

/**
 * Walks the keyboard focus with Tab, `steps` times, from where it is, and says where it
 * landed on something the person cannot see: hidden, of no size, or outside the window.
 */
export async function focusOnHidden(page: Page, steps: number): Promise<string[]> {
  const problems: string[] = [];
  for (let i = 0; i < steps; i++) {
    await page.keyboard.press('Tab');
    const p = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const r = el.getBoundingClientRect();
      const label = el.getAttribute('aria-label') ?? (el as HTMLElement).innerText?.trim().slice(0, 40) ?? el.tagName;
      const vw = document.documentElement.clientWidth;
      const vh = document.documentElement.clientHeight;
      if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) return `focus went to hidden ${el.tagName.toLowerCase()} "${label}"`;
      if (r.width < 2 || r.height < 2) return `focus went to ${el.tagName.toLowerCase()} "${label}" of no size`;
      if (r.right < 0 || r.left > vw || r.bottom < 0 || r.top > vh) return `focus went to ${el.tagName.toLowerCase()} "${label}" outside the window`;
      return null;
    });
    if (p) problems.push(p);
  }
  return [...new Set(problems)];
}
