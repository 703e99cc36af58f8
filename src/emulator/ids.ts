import { randomBytes, randomUUID } from 'node:crypto';
import { EMULATED_ACCOUNT_ID } from './constants.js';

export function newRequestId(): string {
  return randomUUID();
}

/** X-Ray trace header as Lambda sends it: `Root=1-<epoch s, 8 hex>-<24 hex>;Parent=<16 hex>;Sampled=0`. */
export function newTraceId(now: number = Date.now()): string {
  const epochHex = Math.floor(now / 1000)
    .toString(16)
    .padStart(8, '0');
  return `Root=1-${epochHex}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
}

/** RIE always answers with us-east-1 and a fixed account, whatever AWS_REGION says. */
export function functionArn(functionName: string): string {
  return `arn:aws:lambda:us-east-1:${EMULATED_ACCOUNT_ID}:function:${functionName}`;
}

/** Lambda's stream names: `YYYY/MM/DD/[$LATEST]<32 hex>`. */
export function newLogStreamName(version: string, now: Date = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[${version}]${randomBytes(16).toString('hex')}`;
}
