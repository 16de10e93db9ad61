import { connectAuthorizer } from '@kupala/trade-model';

/** `$connect` REQUEST authorizer (identity: `?token=`): Allow for a verified access token, Deny otherwise. */
export const main = connectAuthorizer();
