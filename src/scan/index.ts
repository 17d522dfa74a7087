export { ensureDemoDatabase, demoImagePath, DEMO_DATA_DIR } from './demo.js';
export { scanImage, scanRootfs, type ScanOptions, type ImageScanOptions } from './scan.js';
