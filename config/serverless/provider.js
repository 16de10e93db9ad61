// The provider block shared by every Kupala service. A service that joins the shared HTTP API (one base
// URL for all services) sets `custom.joinHttpApi: true` and receives `httpApi.id` from the `httpApiId` param.
const fs = require('node:fs');
const path = require('node:path');
const yaml = require('yaml');

const shared = yaml.parse(fs.readFileSync(path.join(__dirname, 'shared.yml'), 'utf8'));

module.exports.provider = async ({ resolveVariable }) => {
  const joinsHttpApi = await resolveVariable('self:custom.joinHttpApi, false');
  if (!joinsHttpApi) return shared.provider;
  // access logs belong to the API's stage, which only its owner (trades) defines
  const { logs: { httpApi: _ownersOnly, ...logs } = {}, ...provider } = shared.provider;
  // left as a variable for osls to resolve afterwards: params need provider.stage, which is being resolved here
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an osls variable, not a JS template
  return { ...provider, logs, httpApi: { id: '${param:httpApiId}' } };
};
