export { ensureDemoDatabase, demoImagePath, DEMO_DATA_DIR } from './demo.js';
export { scanImage, scanRootfs, type ScanOptions, type ImageScanOptions } from './scan.js';
export { scanFs, fsInventory, dirInventory, type DirInventoryOptions } from './fs.js';
export {
  classifyDirectory,
  generateSbom,
  resolveSbomTarget,
  sbomInventory,
  scanSbom,
  ROOTFS_MARKERS,
  type GenerateSbomOptions,
  type SbomInventoryOptions,
  type SbomTarget,
} from './sbom.js';
