import type { BotAvatarLimits } from '@chatbot/shared';

export type AvatarType = (typeof BotAvatarLimits.types)[number];

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];

/**
 * The raster image type of `bytes`, read from their magic numbers (never from a file name or a declared
 * type, which the uploader chooses); null for anything else, SVG included.
 */
export function imageTypeOf(bytes: Uint8Array): AvatarType | null {
  const at = (offset: number, magic: number[] | string) =>
    [...magic].every(
      (byte, index) => bytes[offset + index] === (typeof byte === 'string' ? byte.charCodeAt(0) : byte),
    );
  if (at(0, PNG)) return 'image/png';
  if (at(0, JPEG)) return 'image/jpeg';
  if (at(0, 'GIF87a') || at(0, 'GIF89a')) return 'image/gif';
  if (at(0, 'RIFF') && at(8, 'WEBP')) return 'image/webp';
  return null;
}
