/** What the service's HTTP routes share: the runtime, the settings, the worker and the webhook guards. */
import type { ServeSettings } from '../../config/serve.js';
import type { Runtime } from '../cli/runtime.js';
import type { CertificateStore } from './certificates.js';
import type { ReplayGuard } from './replay-guard.js';
import type { SyncService } from './sync-service.js';

export interface ServeContext {
  runtime: Runtime;
  settings: ServeSettings;
  service: SyncService;
  certificates: CertificateStore;
  replay: ReplayGuard;
  /** The clock events' ages are judged by. */
  now: () => Date;
}
