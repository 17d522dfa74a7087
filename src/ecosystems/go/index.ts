export { goScheme, parseGoVersion, type GoVersion } from './version.js';
export { readGoBuildInfo, isExecutableImage, type GoBuildInfoBlob } from './buildinfo.js';
export { elfSectionData, isElf, readElf, type ElfFile, type ElfSection } from './elf.js';
export {
  goModulePackage,
  goPurl,
  parseGoMod,
  parseGoModinfo,
  stdlibVersion,
  type GoBuildInfo,
  type GoModFile,
  type GoModule,
} from './parse.js';
