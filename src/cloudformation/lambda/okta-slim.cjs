/**
 * The Okta SDK's `Client`, as the Lambda bundle of the custom resource uses it: only what the library
 * calls (`baseUrl`, `http` — the SDK's own transport with its authentication, OAuth 2.0 private-key
 * flow, 429 back-off and error types — and `userApi.getUser`, `applicationApi.getApplicationUser`).
 *
 * The full `Client` builds every generated API of the Okta Management API (about 3 MB minified); the
 * bundle aliases `@okta/okta-sdk-nodejs` to this file so that a cold start does not parse them. Built
 * from the SDK's own modules, so the wire behaviour is the SDK's. `test/cloudformation/bundle.test.ts`
 * runs the built bundle against the sandbox to prove the flow needs nothing else.
 */
const { Http } = require('@okta/okta-sdk-nodejs/src/http');
const { OAuth } = require('@okta/okta-sdk-nodejs/src/oauth');
const { DefaultRequestExecutor } = require('@okta/okta-sdk-nodejs/src/default-request-executor');

const path = (value) => encodeURIComponent(String(value));

class Client {
  constructor(config) {
    if (!config?.orgUrl) throw new Error('Okta Org URL not provided');
    this.requestExecutor = config.requestExecutor || new DefaultRequestExecutor();
    this.authorizationMode = config.authorizationMode || 'SSWS';
    this.baseUrl = String(config.orgUrl).replace(/\/$/, '');
    if (this.authorizationMode === 'PrivateKey') {
      this.clientId = config.clientId;
      this.scopes = Array.isArray(config.scopes) ? config.scopes : String(config.scopes).split(' ');
      this.privateKey = config.privateKey;
      this.keyId = config.keyId;
      this.oauth = new OAuth(this);
    } else if (!config.token) {
      throw new Error('Okta API token not provided');
    }
    this.http = new Http({ cacheMiddleware: null, requestExecutor: this.requestExecutor, oauth: this.oauth });
    if (this.authorizationMode === 'SSWS') this.http.defaultHeaders.Authorization = `SSWS ${config.token}`;
    this.http.defaultHeaders['User-Agent'] = `connect-okta-sso-lambda node/${process.versions.node}`;
    const base = `${this.baseUrl}/api/v1`;
    this.userApi = {
      getUser: ({ userId }) => this.http.getJson(`${base}/users/${path(userId)}`),
    };
    this.applicationApi = {
      getApplicationUser: ({ appId, userId }) =>
        this.http.getJson(`${base}/apps/${path(appId)}/users/${path(userId)}`),
    };
  }
}

module.exports = { Client, DefaultRequestExecutor };
