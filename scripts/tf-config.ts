/**
 * `npm run -s tf-config`: prints the path of the Terraform CLI config the scripts use (the
 * project's own under .work/, with the provider mirror when PLATFORM_TF_MIRROR names one, or
 * yours when TF_CLI_CONFIG_FILE points at a file). For plain `cdktf` / `terraform` commands:
 *   export TF_CLI_CONFIG_FILE=$(npm run -s tf-config)
 */
import { cli } from './lib/cli';
import { terraformSetup } from './lib/terraform';

cli(async () => {
  process.stdout.write(`${terraformSetup().env.TF_CLI_CONFIG_FILE}\n`);
});
