/** Jest runs TypeScript through ts-jest without type-checking (tsc --noEmit does that in `npm run lint`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/workflows', '<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }],
    // openid-client 6 and its dependencies are ES modules only: Node requires them natively, Jest 29 needs them as CommonJS.
    '^.+/node_modules/(openid-client|oauth4webapi|jose)/.+\\.js$': ['ts-jest', { isolatedModules: true, diagnostics: false, tsconfig: { allowJs: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(openid-client|oauth4webapi|jose)/)'],
  moduleNameMapper: {
    '^@workflows/(.*)$': '<rootDir>/workflows/$1',
    '^@app/(.*)$': '<rootDir>/src/$1',
    '^@test/(.*)$': '<rootDir>/test/$1',
  },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60000,
};
