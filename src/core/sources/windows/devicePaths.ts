/** NT device names (`\Device\HarddiskVolume3`) and the drive letters they stand for (`C:`). */
export type DeviceMap = ReadonlyArray<readonly [device: string, drive: string]>;

/**
 * GetMappedFileNameW's device path in drive-letter form. Paths already in the NT namespace of
 * drive letters (`\??\C:\…`, which Wine gives) lose the prefix; paths on a device with no
 * letter (network redirectors, unmounted volumes) are kept as they are.
 */
export function toDrivePath(devicePath: string, devices: DeviceMap): string {
  if (devicePath.startsWith('\\??\\')) return devicePath.slice(4);
  const lower = devicePath.toLowerCase();
  for (const [device, drive] of devices) {
    if (lower.startsWith(device.toLowerCase()) && devicePath[device.length] === '\\') {
      return drive + devicePath.slice(device.length);
    }
  }
  return devicePath;
}
