export {
  DEFAULT_API_ROOT,
  DEFAULT_COLLECTION,
  initNode,
  isInitialised,
  type Node,
  type OpenOptions,
  openNode,
} from './node.js';
export { httpPlugins, type RunningServer, startServer } from './server.js';
