export type TDemoSettings = {
  dir: string;
  smtpPort: number;
  trackerPort: number;
  sftpPort: number;
  mailFrom: string;
  mailDir: string;
  trackerLog: string;
  mirrorDir: string;
  sshDir: string;
  tarballDir: string;
};
export function demoSettings(env?: NodeJS.ProcessEnv): TDemoSettings;
export function demoSecret(dir: string, name: string): string;
