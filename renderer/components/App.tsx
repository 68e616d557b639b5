// The window: toolbar, filters, the volumes grid, guided errors, drivers, and the dialogs.

import { useEffect } from 'react';
import { bridge, currentMachine } from '../bridge/api.js';
import { useDrivers } from '../store/drivers.js';
import { useView } from '../store/view.js';
import { useVolumes } from '../store/volumes.js';
import { CreateDialog } from './create/CreateDialog.js';
import { ContainersDialog } from './ContainersDialog.js';
import { AddMachineDialog } from './AddMachineDialog.js';
import { MachineSwitcher } from './MachineSwitcher.js';
import { DetailsDialog } from './DetailsDialog.js';
import { DriversPanel } from './DriversPanel.js';
import { FilterBar } from './FilterBar.js';
import { GuidedErrors } from './GuidedErrorPanel.js';
import { Toolbar } from './Toolbar.js';
import { ConfirmReplace, TransfersPanel } from './TransfersPanel.js';
import { ConfirmRemove } from './ConfirmRemove.js';
import { ConfirmForceUnmount } from './ConfirmForceUnmount.js';
import { HistoryButton, HistoryDialog } from './HistoryDialog.js';
import { Notices } from './Notices.js';
import { useTransfers } from '../store/transfers.js';
import { VolumeTable } from './VolumeTable.js';

/** Changes arrive in bursts (a batch writes the store several times); one refresh covers them. */
const REFRESH_COALESCE_MS = 100;
const USAGE_REFRESH_MS = 5000;
const REMOTE_REFRESH_MS = 3000;

export function App() {
  const dialog = useView((s) => s.dialog);
  // The first lists were asked for before the first render (store/first-load.ts).
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = bridge.onChange((e) => {
      // A plugin that started or stopped changes its volumes' state too: they are looked at afresh.
      const plugins = e.what === 'drivers';
      if (plugins) void useDrivers.getState().refresh();
      clearTimeout(timer);
      timer = setTimeout(() => void useVolumes.getState().refresh(plugins), REFRESH_COALESCE_MS);
    });
    const offTransfers = bridge.onTransfer((e) => useTransfers.getState().take(e));
    // Files written into a mounted volume change no store and no mount table, so no event says
    // so: while the window is seen and a volume shows its space used, the engine is asked to
    // look again (only the rows whose space moved come back).
    // No change event crosses an SSH connection: another machine's list is looked at again
    // every few seconds while it is shown (only what changed comes back).
    const remote = setInterval(() => {
      if (document.visibilityState === 'visible' && currentMachine()) void useVolumes.getState().refresh();
    }, REMOTE_REFRESH_MS);
    const usage = setInterval(() => {
      if (document.visibilityState === 'visible' && useVolumes.getState().volumes.some((v) => v.Usage)) void useVolumes.getState().refresh(true);
    }, USAGE_REFRESH_MS);
    return () => {
      off();
      offTransfers();
      clearInterval(usage);
      clearInterval(remote);
      clearTimeout(timer);
    };
  }, []);
  return (
    <div className="app">
      {/* The banner landmark holds the actions and filters too, so nothing is outside a landmark. */}
      <header>
        <div className="titlebar">
          <h1>Volume Manager</h1>
          <span className="host">{bridge.host === 'electron' ? 'desktop app' : 'browser host'}</span>
          <MachineSwitcher />
          <HistoryButton />
        </div>
        <Toolbar />
        <FilterBar />
      </header>
      {/* What is said about actions: it shrinks and scrolls before the list gives up half the window. */}
      <div className="messages">
        <GuidedErrors />
        <TransfersPanel />
      </div>
      <Notices />
      <main>
        <VolumeTable />
      </main>
      <DriversPanel />
      {dialog === 'create' && <CreateDialog />}
      {dialog === 'containers' && <ContainersDialog />}
      {dialog === 'add-machine' && <AddMachineDialog />}
      {dialog === 'history' && <HistoryDialog />}
      {typeof dialog === 'object' && <DetailsDialog name={dialog.inspect} />}
      <ConfirmReplace />
      <ConfirmRemove />
      <ConfirmForceUnmount />
    </div>
  );
}
