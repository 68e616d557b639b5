import { expect, it } from 'vitest';
import { progressText } from './progress.js';

it('tells bytes, rate and time left', () => {
  expect(progressText({ Bytes: 100e6, Total: 300e6 }, 2000)).toEqual({ done: '100 MB of 300 MB', rate: '50 MB/s', left: '4 s left', fraction: 1 / 3 });
});

it('says nothing it cannot know', () => {
  expect(progressText({ Bytes: 5e6 }, 100)).toEqual({ done: '5.0 MB', rate: '', left: '', fraction: null });
});
