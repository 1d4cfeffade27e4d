// Offline build; top-level await in main.js needs an ES2022 target.
export default {
  build: { target: 'es2022' },
  logLevel: 'warn',
};
