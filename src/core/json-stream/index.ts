export { StixContainerScanner } from './container-scanner.js';
export { readStixObjects, type StixObjectReader, type StixSource } from './read-stix-objects.js';
export {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_OBJECT_BYTES,
  type ReadStixOptions,
  type StixContainerForm,
  type StixContainerHeader,
  type StixContainerInfo,
  type StixElement,
  type StixWrapperProperties,
} from './types.js';
