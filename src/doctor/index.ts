/** `aot-lambda doctor`: will this executable or zip start on Lambda? */
export {
  runDoctor,
  DoctorInputError,
  type DoctorOptions,
  type DoctorReport,
  type ElfSummary,
} from './doctor.js';
export { formatDoctorReport } from './format.js';
export type { CheckResult, Verdict } from './checks.js';
export { parseElf, isElf, ElfError, type ElfInfo, type VersionNeed } from './elf.js';
export { ZipArchive, ZipEntryError, type ZipEntryInfo } from './zip-archive.js';
