import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { Validator } from '@data-platform/core';

/** GitHub Actions' OIDC issuer, as AWS names its provider and condition keys. */
export const GITHUB_OIDC = {
  /** Host and path of the issuer: the provider's name and the prefix of its condition keys. */
  issuer: 'token.actions.githubusercontent.com',
  /** The audience GitHub's AWS credentials action requests (`aws-actions/configure-aws-credentials`). */
  audience: 'sts.amazonaws.com',
  /**
   * Thumbprints of the issuer's certificate chain, as GitHub documents them. IAM requires none
   * for this issuer any more and does not check them (it trusts the issuer's certificate through
   * its own library of root CAs), so a rotation on GitHub's side breaks nothing.
   * @see https://github.blog/changelog/2023-06-27-github-actions-update-on-oidc-integration-with-aws/
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc_verify-thumbprint.html
   */
  thumbprints: ['6938fd4d98bab03faadb97b34396831e3780aea1', '1c58a3a8518e8759bf075b76b750d4f2df264fcd'],
} as const;

/** Props of {@link GithubOidc}. */
export interface GithubOidcProps {
  /**
   * Create the account's provider for GitHub Actions. IAM keeps one provider per issuer and
   * account: when the account has one already (another project created it), refer to it instead.
   */
  readonly create: boolean;
  /** The account the provider is in. */
  readonly account: string;
  /** The AWS partition (`aws`, ...), for the provider's ARN when it is referred to. */
  readonly partition: string;
}

/**
 * The IAM OIDC identity provider of GitHub Actions in an account: created (client id
 * `sts.amazonaws.com`, GitHub's documented thumbprints; address pinned to
 * `aws_iam_openid_connect_provider.bootstrap_github_oidc_provider`), or referred to by its ARN,
 * `arn:<partition>:iam::<account>:oidc-provider/token.actions.githubusercontent.com`.
 */
export class GithubOidc extends Construct {
  /** ARN of the provider: what roles trust as their federated principal. */
  readonly arn: string;
  /** The provider, when this construct created it. */
  readonly provider?: IamOpenidConnectProvider;
  /** Host and path of the issuer, the prefix of the tokens' condition keys (`<issuer>:sub`). */
  readonly issuer: string = GITHUB_OIDC.issuer;

  constructor(scope: Construct, id: string, props: GithubOidcProps) {
    super(scope, id);
    const v = new Validator(`GithubOidc ${this.node.path}`);
    if (!Token.isUnresolved(props.account)) {
      v.check(/^\d{12}$/.test(props.account), 'account', `is ${JSON.stringify(props.account)}; use a 12-digit AWS account id`);
    }
    v.throwIfAny();

    if (props.create) {
      this.provider = new IamOpenidConnectProvider(this, 'provider', {
        url: `https://${GITHUB_OIDC.issuer}`,
        clientIdList: [GITHUB_OIDC.audience],
        thumbprintList: [...GITHUB_OIDC.thumbprints],
      });
      this.provider.overrideLogicalId('bootstrap_github_oidc_provider');
      this.arn = this.provider.arn;
    } else {
      this.arn = `arn:${props.partition}:iam::${props.account}:oidc-provider/${GITHUB_OIDC.issuer}`;
    }
  }
}
