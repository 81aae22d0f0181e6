/**
 * The renderer build records its Vite mode in index.html as `<meta name="palm-build-mode">`
 * (renderer/vite.browser.config.ts), so a production host can refuse a demo build, which carries
 * the device emulator panel.
 */
export const BUILD_MODE_META = 'palm-build-mode';
