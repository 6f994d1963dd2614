export { buildHttpServer, type HttpDeps, type HttpPlugin } from './server.js';
