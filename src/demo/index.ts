/** demo: three nodes of fictional states on 127.0.0.1 with a history to look at (`npm start`). */
export { DemoClock } from './clock.js';
export {
  DEMO_BASE_PORT,
  DEMO_DIR,
  DEMO_PARTIES,
  DEMO_USER,
  type DemoOptions,
  type RunningDemo,
  startDemo,
} from './demo.js';
export { DEMO_TLPS, demoIntel } from './intel.js';
export type { DemoNode, Scenario } from './scenario.js';
