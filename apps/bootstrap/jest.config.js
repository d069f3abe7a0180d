module.exports = { ...require('../../jest.preset.js'), displayName: 'bootstrap', rootDir: __dirname };
