import { Rule } from '../../rule';
import { dmsEndpointSsl } from './dms-endpoint-ssl';
import { dmsKms } from './dms-kms';
import { dmsNotPublic } from './dms-not-public';

/** DMS rules: replication instances, serverless replications and endpoints. */
export const DMS_RULES: readonly Rule[] = [dmsNotPublic, dmsKms, dmsEndpointSsl];
