import type { AppInfo } from '../../shared/contract';

export function appInfo(transport: AppInfo['transport']): AppInfo {
  return { name: 'Heartbeat Sensei', version: '0.1.0', platform: `${process.platform}/${process.arch}`, transport };
}
