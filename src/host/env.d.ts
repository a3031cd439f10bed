// Compile-time constants injected by vite.config.ts.
declare const __TESSERA_VERSION__: string;
