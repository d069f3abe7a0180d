module.exports = { ...require('../../jest.preset.js'), displayName: 'governance', rootDir: __dirname };
