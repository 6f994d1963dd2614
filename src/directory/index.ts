/** directory: each party's points of contact, published only to the parties of its agreements. */
export { Directory, type DirectoryFlag, type DirectoryOptions, type ListedPoc } from './directory.js';
export { checkPoc, POC_ID, POC_KINDS, POC_ROLES, type PocRole, type PointOfContact } from './poc.js';
