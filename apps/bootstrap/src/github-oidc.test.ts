import { addressOf, problemsOf, synthesize, synthesizedResource as resource } from '@data-platform/core';
import { GITHUB_OIDC, GithubOidc } from './github-oidc';
import { providerStack } from './test-support';

describe('GithubOidc', () => {
  test('documents GitHub\'s issuer, audience and thumbprints', () => {
    expect(GITHUB_OIDC).toEqual({
      issuer: 'token.actions.githubusercontent.com',
      audience: 'sts.amazonaws.com',
      thumbprints: ['6938fd4d98bab03faadb97b34396831e3780aea1', '1c58a3a8518e8759bf075b76b750d4f2df264fcd'],
    });
  });

  test('creates the account\'s provider for GitHub Actions at a pinned address', () => {
    const stack = providerStack();
    const oidc = new GithubOidc(stack, 'github', { create: true, account: '111111111111', partition: 'aws' });
    const { tf } = synthesize(stack);
    expect(resource(tf, 'aws_iam_openid_connect_provider', 'bootstrap_github_oidc_provider')).toMatchObject({
      url: 'https://token.actions.githubusercontent.com',
      client_id_list: ['sts.amazonaws.com'],
      thumbprint_list: ['6938fd4d98bab03faadb97b34396831e3780aea1', '1c58a3a8518e8759bf075b76b750d4f2df264fcd'],
    });
    expect(addressOf(oidc.provider!)).toBe('aws_iam_openid_connect_provider.bootstrap_github_oidc_provider');
    expect(oidc.issuer).toBe('token.actions.githubusercontent.com');
  });

  test('refers to an existing provider by its ARN, creating nothing', () => {
    const stack = providerStack();
    const oidc = new GithubOidc(stack, 'github', { create: false, account: '111111111111', partition: 'aws-us-gov' });
    expect(oidc.provider).toBeUndefined();
    expect(oidc.arn).toBe('arn:aws-us-gov:iam::111111111111:oidc-provider/token.actions.githubusercontent.com');
    expect(synthesize(stack).tf.resource?.aws_iam_openid_connect_provider).toBeUndefined();
  });

  test('rejects an account that is not an account id', () => {
    expect(problemsOf(() => new GithubOidc(providerStack(), 'github', { create: false, account: '1111', partition: 'aws' }))).toEqual([
      'GithubOidc bootstrap-dev/github: account is "1111"; use a 12-digit AWS account id',
    ]);
  });
});
