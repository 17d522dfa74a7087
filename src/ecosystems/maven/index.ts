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
export { readZipDirectory, readZipEntry, type InflateBudget, type ZipEntry } from './zip.js';
