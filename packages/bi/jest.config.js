module.exports = { ...require('../../jest.preset.js'), displayName: 'bi', rootDir: __dirname };
