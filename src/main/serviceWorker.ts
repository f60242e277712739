import { runServiceWorker } from '../core/worker/serviceWorker';

runServiceWorker();
