/**
 * Just enough ELF and PE reading to prove a build is what its label says: a stripped native executable, an
 * IL-only assembly (JIT) or one with precompiled ReadyToRun code.
 */
import { readFileSync } from 'node:fs';

export interface ElfFacts {
  machine: number;
  /** A .symtab section is present: the file was not stripped. */
  hasSymtab: boolean;
}

const SHT_SYMTAB = 2;

export function readElf(path: string): ElfFacts | undefined {
  const b = readFileSync(path);
  if (b.length < 64 || b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2) return undefined; // ELF64 only
  const shoff = Number(b.readBigUInt64LE(0x28));
  const shentsize = b.readUInt16LE(0x3a);
  const shnum = b.readUInt16LE(0x3c);
  let hasSymtab = false;
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize;
    if (at + 8 <= b.length && b.readUInt32LE(at + 4) === SHT_SYMTAB) hasSymtab = true;
  }
  return { machine: b.readUInt16LE(18), hasSymtab };
}

export const EM_X86_64 = 62;

export interface PeFacts {
  /** Has a CLI header: a .NET assembly. */
  managed: boolean;
  /** Its ManagedNativeHeader points at a READYTORUN_HEADER ('RTR'). */
  readyToRun: boolean;
}

const RTR_SIGNATURE = 0x00525452;

export function readPe(path: string): PeFacts | undefined {
  const b = readFileSync(path);
  if (b.length < 0x40 || b.readUInt16LE(0) !== 0x5a4d) return undefined; // 'MZ'
  const pe = b.readUInt32LE(0x3c);
  if (b.readUInt32LE(pe) !== 0x4550) return undefined; // 'PE\0\0'
  const coff = pe + 4;
  const sections = b.readUInt16LE(coff + 2);
  const optionalSize = b.readUInt16LE(coff + 16);
  const optional = coff + 20;
  const pe32Plus = b.readUInt16LE(optional) === 0x20b;
  const directories = optional + (pe32Plus ? 112 : 96);
  const sectionTable = optional + optionalSize;
  const fileOffset = (rva: number): number | undefined => {
    for (let i = 0; i < sections; i++) {
      const s = sectionTable + i * 40;
      const va = b.readUInt32LE(s + 12);
      const rawSize = b.readUInt32LE(s + 16);
      if (rva >= va && rva < va + Math.max(rawSize, b.readUInt32LE(s + 8))) {
        return b.readUInt32LE(s + 20) + (rva - va);
      }
    }
    return undefined;
  };
  const cliRva = b.readUInt32LE(directories + 14 * 8); // IMAGE_DIRECTORY_ENTRY_COM_DESCRIPTOR
  const cli = cliRva ? fileOffset(cliRva) : undefined;
  if (cli === undefined) return { managed: false, readyToRun: false };
  const nativeHeaderRva = b.readUInt32LE(cli + 64); // IMAGE_COR20_HEADER.ManagedNativeHeader
  const nativeHeader = nativeHeaderRva ? fileOffset(nativeHeaderRva) : undefined;
  const readyToRun = nativeHeader !== undefined && b.readUInt32LE(nativeHeader) === RTR_SIGNATURE;
  return { managed: true, readyToRun };
}
