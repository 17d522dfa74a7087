/**
 * TOTP (RFC 6238) over otpauth: 30-second steps, a window of one step either side for clock
 * drift, and replay refusal: a code is accepted only for a time step later than the last one
 * accepted for that user.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

export const TOTP_PERIOD = 30;
export const TOTP_DIGITS = 6;

export interface TotpParams {
  algorithm?: 'SHA1' | 'SHA256' | 'SHA512';
  digits?: number;
  period?: number;
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(secretBase32: string, account: string, issuer = 'bulwark'): string {
  return new TOTP({
    issuer,
    label: account,
    secret: Secret.fromBase32(secretBase32),
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD,
  }).toString();
}

/** The code for `timeMs` (tests and the RFC vectors use raw secrets and other algorithms). */
export function totpCode(secret: Secret, timeMs: number, p: TotpParams = {}): string {
  return TOTP.generate({
    secret,
    algorithm: p.algorithm ?? 'SHA1',
    digits: p.digits ?? TOTP_DIGITS,
    period: p.period ?? TOTP_PERIOD,
    timestamp: timeMs,
  });
}

/**
 * The time step a code belongs to, or null when it is wrong or not later than `lastStep` (a replay).
 */
export function verifyTotp(
  secret: Secret,
  code: string,
  timeMs: number,
  lastStep: number,
  p: TotpParams = {},
): number | null {
  const digits = p.digits ?? TOTP_DIGITS;
  if (!new RegExp(`^\\d{${digits}}$`).test(code)) return null;
  const period = p.period ?? TOTP_PERIOD;
  const delta = TOTP.validate({
    token: code,
    secret,
    algorithm: p.algorithm ?? 'SHA1',
    digits,
    period,
    timestamp: timeMs,
    window: 1,
  });
  if (delta === null) return null;
  const step = Math.floor(timeMs / 1000 / period) + delta;
  return step > lastStep ? step : null;
}

/** Ten one-time recovery codes: the codes (shown once) and their SHA-256 (stored). */
export function newRecoveryCodes(n = 10): { codes: string[]; hashes: string[] } {
  const codes: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = randomBytes(10).toString('hex');
    codes.push(`${s.slice(0, 5)}-${s.slice(5, 10)}-${s.slice(10, 15)}-${s.slice(15, 20)}`);
  }
  return { codes, hashes: codes.map(hashRecoveryCode) };
}

export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(code.trim().toLowerCase()).digest('hex');
}

/** The enrolment URI as a QR code, an SVG made here (the dashboard loads no image from anywhere). */
export async function totpQrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, width: 220 });
}
