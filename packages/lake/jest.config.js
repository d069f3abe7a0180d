module.exports = { ...require('../../jest.preset.js'), displayName: 'lake', rootDir: __dirname };
