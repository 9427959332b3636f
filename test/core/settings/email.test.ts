import { checkOfficialEmail, escapeHtml, isEmailShape, PERSONAL_PROVIDERS, splitEmails } from '../../../src/core/settings/email';

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('keeps Vietnamese text as is and escapes ampersands once', () => {
    expect(escapeHtml('Văn phòng HĐND và UBND xã')).toBe('Văn phòng HĐND và UBND xã');
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });
});

describe('checkOfficialEmail', () => {
  const GOV = ['gialai.gov.vn'];

  it('accepts an address in a configured domain, ignoring case and surrounding whitespace', () => {
    expect(checkOfficialEmail('vanphong.phuocchanh@gialai.gov.vn', GOV)).toBeNull();
    expect(checkOfficialEmail('  VanPhong.PhuocChanh@GiaLai.GOV.vn \n', GOV)).toBeNull();
    expect(checkOfficialEmail('a@gialai.gov.vn', ['  @GiaLai.Gov.VN '])).toBeNull();
  });

  it('accepts subdomains of a configured domain but not look-alikes', () => {
    expect(checkOfficialEmail('vt@phuocchanh.gialai.gov.vn', GOV)).toBeNull();
    expect(checkOfficialEmail('vt@fakegialai.gov.vn', GOV)).toBe('outside-domain');
    expect(checkOfficialEmail('vt@gialai.gov.vn.example.com', GOV)).toBe('outside-domain');
  });

  it('refuses personal providers, with or without configured domains, in any case', () => {
    expect(checkOfficialEmail('tramyte.phuocchanh@gmail.com', GOV)).toBe('personal-email');
    expect(checkOfficialEmail('tramyte.phuocchanh@gmail.com', [])).toBe('personal-email');
    expect(checkOfficialEmail(' TramYTe@GMAIL.COM ', [])).toBe('personal-email');
    expect(checkOfficialEmail('a@yahoo.com.vn', [])).toBe('personal-email');
    // Listing a personal provider as "official" does not make it official.
    expect(checkOfficialEmail('a@gmail.com', ['gmail.com'])).toBe('personal-email');
    for (const provider of PERSONAL_PROVIDERS) expect(checkOfficialEmail(`someone@${provider}`, [])).toBe('personal-email');
  });

  it('the required providers are in the list', () => {
    for (const p of [
      'gmail.com',
      'googlemail.com',
      'yahoo.com',
      'yahoo.com.vn',
      'hotmail.com',
      'outlook.com',
      'live.com',
      'icloud.com',
      'msn.com',
      'aol.com',
      'proton.me',
      'protonmail.com',
      'ymail.com',
      'zoho.com',
      'mail.ru',
      'qq.com',
      '163.com',
    ]) {
      expect(PERSONAL_PROVIDERS).toContain(p);
    }
  });

  it('refuses addresses outside the configured domains', () => {
    expect(checkOfficialEmail('canbo@binhdinh.gov.vn', GOV)).toBe('outside-domain');
    expect(checkOfficialEmail('canbo@congty.com.vn', GOV)).toBe('outside-domain');
  });

  it('accepts any non-personal domain when none is configured', () => {
    expect(checkOfficialEmail('canbo@binhdinh.gov.vn', [])).toBeNull();
    expect(checkOfficialEmail('canbo@binhdinh.gov.vn', ['', '  '])).toBeNull();
  });

  it('reports a missing or malformed address as missing-email', () => {
    for (const bad of [
      '',
      '   ',
      'khong co',
      'a@b',
      '@gialai.gov.vn',
      'a@@gialai.gov.vn',
      'a b@gialai.gov.vn',
      'a@gialai..gov.vn',
      '.a@gialai.gov.vn',
      'Nguyễn@gialai.gov.vn',
      'a@-gialai.gov.vn',
    ]) {
      expect(checkOfficialEmail(bad, GOV)).toBe('missing-email');
    }
  });

  it('isEmailShape and splitEmails', () => {
    expect(isEmailShape('a.b+c@x.gov.vn')).toBe(true);
    expect(isEmailShape('a@x.v')).toBe(false);
    expect(splitEmails(' A@x.gov.vn; b@y.gov.vn ,c@z.gov.vn\n')).toEqual(['a@x.gov.vn', 'b@y.gov.vn', 'c@z.gov.vn']);
    expect(splitEmails('')).toEqual([]);
  });
});
