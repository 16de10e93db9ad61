// This service's esbuild options: the shared ones, plus a small stand-in for tldts (see the file it points at).
const fs = require('node:fs');
const path = require('node:path');
const yaml = require('yaml');

const shared = yaml.parse(
  fs.readFileSync(path.join(__dirname, '../../config/serverless/shared.yml'), 'utf8'),
);

module.exports.esbuild = {
  ...shared.esbuild,
  alias: { tldts: path.join(__dirname, 'src/adapters/yahoo-registrable-domain.ts') },
};
