// electron-vite compiles these into the main bundle (Vite's env for the main process).
interface ImportMetaEnv {
  readonly DEV: boolean;
}
interface ImportMeta {
  readonly env: ImportMetaEnv;
}
