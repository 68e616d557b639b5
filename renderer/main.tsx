// The page's entry: the same React app under Electron's preload and under the browser host.

import './store/first-load.js';
import { createRoot } from 'react-dom/client';
import { App } from './components/App.js';
import './styles.css';

createRoot(document.getElementById('root')!).render(<App />);
