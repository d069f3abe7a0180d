module.exports = { ...require('../../jest.preset.js'), displayName: 'data-platform', rootDir: __dirname };
