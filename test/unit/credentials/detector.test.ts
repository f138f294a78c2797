// The credential detector: names, value shapes, placeholders, assignments inside text, masking.
// Credential-shaped values are assembled at run time so secret scanners do not flag this file.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  detectInText, detectNamedValue, findCredentialAssignments, findCredentialShapes, isCredentialName, isPlaceholder, MASK, maskSecret, redactCredentials,
} from '../../../server/src/analysis/credentials';
import { MAX_CREDENTIAL_NAME_LENGTH, MAX_SCANNED_VALUE_LENGTH } from '../../../server/src/analysis/credentials/limits';

const b64 = (n: number) => 'QmFzZTY0Qm9keUZvclRlc3Rz'.repeat(Math.ceil(n / 24)).slice(0, n);
const pem = (label: string) => `-----BEGIN ${label}-----\n${b64(64)}\n${b64(40)}\n-----END ${label}-----\n`;
const jwt = (header: object) =>
  [Buffer.from(JSON.stringify(header)).toString('base64url'), Buffer.from('{"sub":"ci-bot","iat":1700000000}').toString('base64url'), 'c2lnbmF0dXJlLW5vdC1yZWFs'].join('.');
const TOKENS = {
  github: 'gh' + 'p_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8',
  githubPat: 'github' + '_pat_' + 'A'.repeat(22) + '_' + 'b'.repeat(59),
  gitlab: 'gl' + 'pat-' + 'xY9zW8vU7tS6rQ5pO4nM',
  gitlabRunner: 'gl' + 'rt-' + 'runnerTokenForTests0123',
  slack: 'xo' + 'xb-' + '123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
  slackWebhook: 'https://hooks.slack.com/' + 'services/T000TEST0/B000TEST0/' + 'XXXXtestXXXXtestXXXXtest',
  aws: 'AK' + 'IA' + 'Z3TESTKEY7Q2M4P8',
  awsTemporary: 'AS' + 'IA' + 'Z3TESTKEY7Q2M4P8',
};

describe('credential names', () => {
  test('names whose head word is a credential', () => {
    for (const name of [
      'DB_PASSWORD', 'MYSQL_ROOT_PASSWORD', 'passwd', 'DB_PASS', 'DB_PWD', 'passphrase', 'CLIENT_SECRET', 'clientSecret', 'JWT_SECRET',
      'GITHUB_TOKEN', 'accessToken', 'bearertoken', 'API_KEY', 'apiKey', 'APIKey', 'x-api-key', 'PRIVATE_KEY', 'ssh-privatekey',
      'ACCESS_KEY', 'SECRET_KEY', 'server.secretkey', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AZURE_CLIENT_SECRET',
      'AZURE_STORAGE_ACCOUNT_KEY', 'GOOGLE_APPLICATION_CREDENTIALS', 'credentials', 'admin.password', 'PASSWORD_B64', '--db-password',
      'API_SECRET', 'pwd', 'Pwd',
    ]) assert.ok(isCredentialName(name), name);
  });

  test('names about a credential, or that only contain the word, are not', () => {
    for (const name of [
      'PASSWORD_FILE', 'PASSWORD_PATH', 'TOKEN_TTL', 'TOKEN_EXPIRY', 'TOKEN_AUDIENCE', 'SECRET_NAME', 'SECRET_KEY_REF', 'tokenRef',
      'MAX_TOKENS', 'NUM_TOKENS', 'PASSWORD_MIN_LENGTH', 'AWS_ACCESS_KEY_ID', 'KEY', 'tls.key', 'PWD', 'OLDPWD', 'BYPASS',
      'DB_SECRET_REF', 'API_SECRET_FILE', 'API_SECRET_PATH',
      'ARGOCD_APPLICATIONSET_CONTROLLER_TOKENREF_STRICT_MODE', 'IMAGE_PULL_SECRET', 'TLS_SECRET', 'AZURE_STORAGE_CONNECTION_STRING', 'secrets', 'TOKENIZER',
    ]) assert.ok(!isCredentialName(name), name);
  });
});

describe('placeholders', () => {
  test('references, templates, encrypted values and fill-ins are not credentials', () => {
    for (const value of [
      '', '   ', '${DB_PASSWORD}', '${DB_PASSWORD:-}', '${{ secrets.TOKEN }}', '$(DB_PASSWORD)', '$DB_PASSWORD', '{{ .Values.db.password }}',
      '<changeme>', '<your token>', '[REDACTED]', '****', 'xxxxxxxx', '...', 'changeme', 'CHANGE_ME', 'your-api-key-here', 'REPLACE-ME',
      '$oidc.okta.clientSecret', '$argocd-secret:dex.github.clientSecret', '$__file{/etc/secrets/pw}', '%(db_password)s',
      'ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]', 'ENC(G6N718UuyPE5bHyWKyuLQSm02auQPUtm)', 'string', 'vault:secret/data/db#password', 'ref+vault://secret/db#/password',
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf', 'projects/p/secrets/db/versions/latest',
    ]) assert.ok(isPlaceholder(value), JSON.stringify(value));
  });

  test('the credential word itself as the value is a sample, not a credential', () => {
    for (const value of ['password', 'PASSWORD', 'Password', 'api-key', 'TOKEN', '<secret>', 'CHANGE_ME']) assert.ok(isPlaceholder(value), value);
    for (const value of ['db_password', 'password1', 'tokens']) assert.ok(!isPlaceholder(value), value);
  });

  test('real-looking literals are not placeholders', () => {
    for (const value of ['hunter2', 'S3cr3t!', 'admin123', 'p@$$w0rd', 'xX9-secret']) assert.ok(!isPlaceholder(value), value);
  });
});

describe('named values', () => {
  test('a literal under a credential name, with what it is', () => {
    assert.deepEqual(detectNamedValue('DB_PASSWORD', 'hunter2'), { via: 'name', noun: 'a password' });
    assert.equal(detectNamedValue('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYz')?.noun, 'a secret access key');
    assert.equal(detectNamedValue('apiKey', 'k-123')?.noun, 'an API key');
  });

  test('non-secret literals under credential names stay silent', () => {
    for (const value of ['db-credentials', 'web-tls', 'registry-pull-secret', '/var/run/secrets/db/password', './token', 'file:///etc/key.json', 'true', 'disabled', 'https://issuer.example.com/oauth/token', '${X}']) {
      assert.equal(detectNamedValue('DB_PASSWORD', value), undefined, value);
    }
    assert.equal(detectNamedValue('TOKEN_TTL', '3600'), undefined);
    assert.equal(detectNamedValue('passCredentials', 'true'), undefined, "argo-cd's Helm flag");
    assert.equal(detectNamedValue('PASSWORD_FILE', 'hunter2'), undefined);
  });

  test('a value shape wins over the name and is found whatever the name', () => {
    assert.equal(detectNamedValue('DB_PASSWORD', `postgres://app:hunter2@db:5432/app`)?.shape, 'url-password');
    assert.equal(detectNamedValue('GH', TOKENS.github)?.shape, 'github-token');
  });

  test('a credential assigned inside the value', () => {
    const found = detectNamedValue('JAVA_OPTS', '-Xmx1g -Djavax.net.ssl.keyStorePassword=k3yst0re -Dfile.encoding=UTF-8');
    assert.deepEqual(found && { via: found.via, innerName: found.innerName }, { via: 'assignment', innerName: 'javax.net.ssl.keyStorePassword' });
  });
});

describe('value shapes', () => {
  const shapeOf = (text: string) => findCredentialShapes(text).map((m) => m.shape);

  test('PEM private keys of every armour, also JSON-escaped inside a service-account key file', () => {
    for (const label of ['RSA PRIVATE KEY', 'EC PRIVATE KEY', 'PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'PGP PRIVATE KEY BLOCK']) {
      assert.deepEqual(shapeOf(pem(label)), ['pem-private-key'], label);
    }
    const keyFile = JSON.stringify({ type: 'service_account', private_key: pem('PRIVATE KEY') });
    assert.deepEqual(shapeOf(keyFile), ['pem-private-key']);
  });

  test('public keys, certificates and bare armour lines are not private keys', () => {
    assert.deepEqual(shapeOf(pem('CERTIFICATE')), []);
    assert.deepEqual(shapeOf(pem('PUBLIC KEY')), []);
    assert.deepEqual(shapeOf(pem('PGP PUBLIC KEY BLOCK')), []);
    assert.deepEqual(shapeOf('-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----'), []);
  });

  test('AWS access key ids, but not the documented examples', () => {
    assert.deepEqual(shapeOf(`key=${TOKENS.aws}`), ['aws-access-key-id']);
    assert.deepEqual(shapeOf(TOKENS.awsTemporary), ['aws-access-key-id']);
    assert.deepEqual(shapeOf('AKIAIOSFODNN7EXAMPLE'), []);
    assert.deepEqual(shapeOf(`X${TOKENS.aws}`), [], 'inside a longer word');
  });

  test('JWTs need a JSON header with an algorithm', () => {
    assert.deepEqual(shapeOf(`Bearer ${jwt({ alg: 'HS256', typ: 'JWT' })}`), ['jwt']);
    assert.deepEqual(shapeOf(jwt({ typ: 'JWT' })), []);
    assert.deepEqual(shapeOf('eyJnotreallyjson.eyJnotreallyjson.c2lnbmF0dXJlLW5vdC1yZWFs'), []);
  });

  test('passwords in URLs, not users alone or placeholders', () => {
    assert.deepEqual(shapeOf('postgres://app:hunter2@db:5432/app'), ['url-password']);
    assert.deepEqual(shapeOf('redis://:hunter2@redis:6379/0'), ['url-password']);
    assert.deepEqual(shapeOf('mongodb+srv://svc:S3cr%21t@cluster0.example.net/db'), ['url-password']);
    for (const text of ['https://git@github.com/org/repo', 'https://app:$(DB_PASSWORD)@db', 'https://app:${PASS}@db', 'https://app:****@db', 'https://example.com:8443/x', 'ssh://git@example.com:22/repo']) {
      assert.deepEqual(shapeOf(text), [], text);
    }
  });

  test('Authorization header values: Bearer tokens with a digit, Basic credentials that decode to user:password', () => {
    const basic = (decoded: string) => `Basic ${btoa(decoded)}`;
    const bearerToken = 'dGVzdC1vcGFxdWUt' + 'dG9rZW4tMjAyNg';
    assert.deepEqual(shapeOf(`Bearer ${bearerToken}`), ['bearer-token']);
    assert.deepEqual(shapeOf(`authorization: bearer ${bearerToken}`), ['bearer-token'], 'the scheme in any case');
    assert.deepEqual(shapeOf(`curl -H "Authorization: Bearer ${bearerToken}" https://api`), ['bearer-token']);
    assert.deepEqual(shapeOf(`Bearer ${TOKENS.github}`), ['github-token'], 'a known token is named by its own shape');
    // `:` at each of the three positions of a 3-byte base64 group, and as the last byte.
    for (const decoded of ['user:pw', 'ab:cdef', 'a:bcd', 'deploy:', 'svc-account:pa55-w0rd']) assert.deepEqual(shapeOf(basic(decoded)), ['basic-credentials'], decoded);
    for (const text of [
      'Bearer', 'Bearer authentication', 'Bearer abcdefghijklmnopqrstuv', 'Bearer short123', 'Bearer $(API_TOKEN)', 'Bearer ${API_TOKEN}', 'Bearer <token>',
      'NotBearer abcdefghij0123456789', basic('no colon here'), 'Basic realm="internal"', 'Basic auth', 'Basic ${CREDENTIALS}',
    ]) assert.deepEqual(shapeOf(text), [], text);
    const [match] = findCredentialShapes(`Bearer ${bearerToken}`);
    assert.equal(`Bearer ${bearerToken}`.slice(match.start, match.end), bearerToken, 'the secret is the token, not the scheme');
  });

  test('GitHub, GitLab and Slack tokens by prefix', () => {
    assert.deepEqual(shapeOf(TOKENS.github), ['github-token']);
    assert.deepEqual(shapeOf(TOKENS.githubPat), ['github-token']);
    assert.deepEqual(shapeOf(TOKENS.gitlab), ['gitlab-token']);
    assert.deepEqual(shapeOf(TOKENS.gitlabRunner), ['gitlab-token']);
    assert.deepEqual(shapeOf(TOKENS.slack), ['slack-token']);
    assert.deepEqual(shapeOf(TOKENS.slackWebhook), ['slack-webhook']);
    assert.deepEqual(shapeOf('ghp_short'), []);
  });
});

describe('assignments inside text', () => {
  const names = (text: string) => findCredentialAssignments(text).map((a) => a.name);

  test('INI, properties, YAML, JSON, dotenv, shell, connection strings and URL queries', () => {
    assert.deepEqual(names('[security]\nadmin_user = admin\nadmin_password = hunter2\n'), ['admin_password']);
    assert.deepEqual(names('spring.datasource.password=hunter2\nspring.datasource.username=app'), ['spring.datasource.password']);
    assert.deepEqual(names('smtp:\n  auth_password: "hunter2"  # TODO rotate\n'), ['auth_password']);
    assert.deepEqual(names('{"clientSecret": "abc123", "clientID": "app"}'), ['clientSecret']);
    assert.deepEqual(names('export API_TOKEN=abc123 && ./run'), ['API_TOKEN']);
    assert.deepEqual(names('Server=db;Database=app;User Id=sa;Password=hunter2;'), ['Password']);
    assert.deepEqual(names('https://api.example.com/v1?access_token=abc123&page=2'), ['access_token']);
    assert.deepEqual(names('--db-password=hunter2 --db-user=app'), ['db-password']);
    assert.deepEqual(names('//registry.npmjs.org/:_authToken=npm-token-value'), ['_authToken']);
  });

  test('references, structures, block scalars and code expressions are not literals', () => {
    for (const text of [
      'password = ${DB_PASSWORD}', 'password: {{ .Values.pw }}', 'clientSecret: $oidc.clientSecret', 'password:\n  valueFrom: x',
      'password: |\n  multi', 'password: !vault |', 'local token = obj.spec.token', 'password = os.getenv("DB_PASSWORD")',
      'PASSWORD=$(cat /run/secrets/pw)', 'password_file = /etc/pw', 'token: ""', 'secret_key = $__env{GF_SECRET}', 'require_password = true',
    ]) assert.deepEqual(names(text), [], text);
  });

  test('value offsets point at the literal', () => {
    const text = 'admin_password = "hunter2"';
    const [found] = findCredentialAssignments(text);
    assert.equal(text.slice(found.start, found.end), 'hunter2');
  });
});

describe('masking', () => {
  test('shows nothing of a secret but a public prefix, not even its length', () => {
    assert.equal(maskSecret('hunter2'), MASK);
    assert.equal(maskSecret('a-much-longer-secret-value'), MASK);
    assert.equal(maskSecret(TOKENS.github, 'ghp_'), `ghp_${MASK}`);
    assert.equal(maskSecret('abc', 'xyz'), MASK, 'a prefix the secret does not start with is not shown');
  });

  test('detections carry no part of the secret', () => {
    const cases: Array<[text: string, secret: string]> = [
      [TOKENS.github, TOKENS.github.slice(4)], [TOKENS.aws, TOKENS.aws.slice(4)], [TOKENS.slack, TOKENS.slack.slice(5)],
      [TOKENS.slackWebhook, 'T000TEST0'], [pem('RSA PRIVATE KEY'), b64(24)], ['postgres://app:hunter2@db/x', 'hunter2'], ['DB_PASSWORD=hunter2', 'hunter2'],
    ];
    for (const [text, secret] of cases) {
      const serialised = JSON.stringify(detectInText(text));
      assert.ok(!serialised.includes(secret), serialised);
    }
  });

  test('redactCredentials removes every credential it can recognise without a name', () => {
    const text = `url=postgres://app:hunter2@db token ${TOKENS.github} key ${TOKENS.aws} ${pem('EC PRIVATE KEY')} export API_TOKEN=abc123`;
    const redacted = redactCredentials(text);
    for (const secret of ['hunter2', TOKENS.github, TOKENS.aws, b64(64), 'abc123']) assert.ok(!redacted.includes(secret), `${secret} left in ${redacted}`);
    assert.match(redacted, /postgres:\/\/app:\*\*\*\*@db token ghp_\*\*\*\* key AKIA\*\*\*\*/);
    assert.equal(redactCredentials('nothing secret here: replicas=3'), 'nothing secret here: replicas=3');
  });
});

describe('limits', () => {
  test('a name longer than MAX_CREDENTIAL_NAME_LENGTH is not a credential name', () => {
    const name = (length: number) => `${'X'.repeat(length - '_PASSWORD'.length)}_PASSWORD`;
    assert.ok(isCredentialName(name(MAX_CREDENTIAL_NAME_LENGTH)));
    assert.ok(!isCredentialName(name(MAX_CREDENTIAL_NAME_LENGTH + 1)));
  });

  test('values are scanned up to MAX_SCANNED_VALUE_LENGTH: a key at the start of a huge value is found, one past the cap is not', () => {
    const filler = (length: number) => 'x '.repeat(Math.ceil(length / 2)).slice(0, length);
    assert.deepEqual(findCredentialShapes(pem('RSA PRIVATE KEY') + filler(MAX_SCANNED_VALUE_LENGTH)).map((m) => m.shape), ['pem-private-key']);
    assert.deepEqual(findCredentialShapes(filler(MAX_SCANNED_VALUE_LENGTH - 100) + TOKENS.github).map((m) => m.shape), ['github-token']);
    assert.deepEqual(findCredentialShapes(filler(MAX_SCANNED_VALUE_LENGTH) + TOKENS.github), []);
    assert.deepEqual(findCredentialAssignments(filler(MAX_SCANNED_VALUE_LENGTH) + '\npassword = hunter2'), []);
  });

  test('redactCredentials cuts a text longer than the cap rather than return unscanned text', () => {
    const redacted = redactCredentials(`${TOKENS.github} ${'x'.repeat(MAX_SCANNED_VALUE_LENGTH)} ${TOKENS.aws}`);
    assert.ok(redacted.startsWith(`ghp_${MASK} x`) && redacted.endsWith('x…'), redacted.slice(0, 20));
    assert.ok(!redacted.includes(TOKENS.aws.slice(4)));
  });

  test('URL passwords: the scheme starts at a word boundary, as before', () => {
    const shapeOf = (text: string) => findCredentialShapes(text).map((m) => text.slice(m.start, m.end));
    assert.deepEqual(shapeOf('x.postgres://app:hunter2@db a-b+c://u:pw2@h'), ['hunter2', 'pw2']);
    assert.deepEqual(shapeOf('see postgres://app:hunter2@db,redis://:pw3@cache'), ['hunter2', 'pw3']);
    assert.deepEqual(shapeOf('_postgres://app:hunter2@db'), [], 'no word boundary before the scheme');
    assert.deepEqual(shapeOf('1postgres://app:hunter2@db'), [], 'a scheme starts with a letter');
  });
});
