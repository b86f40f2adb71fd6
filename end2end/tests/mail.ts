import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect, type APIRequestContext } from '@playwright/test';

export const PASSWORD = 'vélo rouge sous la pluie de mars';

/** Decodes the text of every part of an .eml file (base64 or quoted-printable). */
function decodedParts(eml: string): string {
  const out: string[] = [];
  for (const part of eml.split(/\r?\n--/)) {
    const [headers, ...rest] = part.split(/\r?\n\r?\n/);
    const body = rest.join('\n\n');
    if (/content-transfer-encoding:\s*base64/i.test(headers)) {
      out.push(Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8'));
    } else if (/content-transfer-encoding:\s*quoted-printable/i.test(headers)) {
      const joined = body.replace(/=\r?\n/g, '');
      out.push(Buffer.from(joined.replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'));
    } else {
      out.push(body);
    }
  }
  return out.join('\n');
}

/** Waits for the newest e-mail to `to` and returns the first link to `pathPrefix` in it. */
export async function linkFromMail(to: string, pathPrefix: string): Promise<string> {
  const dir = path.join(process.env.E2E_DATA_DIR!, 'mail');
  let link: string | undefined;
  await expect
    .poll(
      () => {
        if (!fs.existsSync(dir)) return undefined;
        const files = fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).sort().reverse();
        for (const file of files) {
          const eml = fs.readFileSync(path.join(dir, file), 'utf8');
          if (!eml.includes(`To: ${to}`)) continue;
          const match = decodedParts(eml).match(new RegExp(`https?://[^\\s"<>]*${pathPrefix.replace('?', '\\?')}[A-Za-z0-9_=&?-]+`));
          link = match?.[0];
          return link;
        }
        return undefined;
      },
      { timeout: 15_000, message: `an e-mail to ${to} with a ${pathPrefix} link` },
    )
    .toBeTruthy();
  return link!;
}

/** An account with a confirmed address, made through the server functions. */
export async function confirmedAccount(request: APIRequestContext, email: string, firstName = 'Lucas', lastName = 'Dubois', language = 'fr') {
  const registered = await request.post('/api/register', {
    form: {
      'form[email]': email,
      'form[first_name]': firstName,
      'form[last_name]': lastName,
      'form[language]': language,
      'form[password]': PASSWORD,
      'form[password_confirm]': PASSWORD,
      'form[terms]': 'on',
    },
    maxRedirects: 0,
  });
  expect(registered.status()).toBeLessThan(400);
  const link = await linkFromMail(email, '/verify-email?token=');
  const token = new URL(link).searchParams.get('token')!;
  const verified = await request.post('/api/verify_email', { form: { token }, maxRedirects: 0 });
  expect(verified.status()).toBeLessThan(400);
}

