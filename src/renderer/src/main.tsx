import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n';
import { App } from './App';
import { WatchSessionsProvider } from './WatchSessionsProvider';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    {/* Above App and its routes: watch sessions outlive the view that shows them. */}
    <WatchSessionsProvider>
      <App />
    </WatchSessionsProvider>
  </StrictMode>,
);
