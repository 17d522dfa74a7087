export { mavenScheme, parseMavenVersion } from './version.js';
export {
  isJavaArchiveName,
  mavenPurl,
  parseArchiveFileName,
  parseJavaArchive,
  parseManifest,
  parseProperties,
  type JavaArchiveOptions,
  type JavaArchiveResult,
  type JavaPackage,
  type JavaProblem,
} from './parse.js';
export {
  bufferSource,
  fileSource,
  readZipDirectory,
  readZipEntry,
  type ByteSource,
  type InflateBudget,
  type ZipEntry,
} from './zip.js';
