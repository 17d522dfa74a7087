export { pypiScheme, parsePep440, normalizePypiName, type Pep440Version } from './version.js';
export {
  parseHeaders,
  parsePipfileLock,
  parsePoetryLock,
  parsePythonMetadata,
  parseRequirements,
  parseUvLock,
  pypiPurl,
} from './parse.js';
