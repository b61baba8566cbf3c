// The Anthropic TypeScript SDK sends a PDF to a text-only model through Switchboard: the PDF's text, extracted page
// by page, reaches the model server; a damaged PDF is a 400 naming the block.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { startStack } from './lib/stack.js';

/** A minimal valid PDF: one page per string, each a line of Helvetica, with a correct cross-reference table. */
function pdf(pages) {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', null, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'];
  const kids = [];
  for (const text of pages) {
    const stream = `BT /F1 12 Tf 50 700 Td (${text}) Tj ET`;
    objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
    const contents = objects.length;
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${contents} 0 R >>`);
    kids.push(`${objects.length} 0 R`);
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${kids.length} >>`;
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1').toString('base64');
}

describe('Documents through the Anthropic TypeScript SDK', () => {
  let stack;
  let client;
  before(async () => {
    stack = await startStack();
    client = new Anthropic({ baseURL: stack.baseUrl, apiKey: stack.apiKey, maxRetries: 0 });
  });
  after(async () => {
    await stack?.stop();
  });

  it('a PDF document reaches a text-only model as its text, page by page, with title and context', async () => {
    await stack.reset();
    await stack.script({ content: 'The total is 4217 euros, due in March.' });

    const message = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 200,
      messages: [{
        role: 'user',
        content: [
          {
            type: 'document', title: 'Invoice 7', context: 'Sent by ACME', citations: { enabled: true },
            source: { type: 'base64', media_type: 'application/pdf', data: pdf(['The invoice total is 4217 euros', 'Payment is due in March']) },
          },
          { type: 'text', text: 'Summarise this invoice.' },
        ],
      }],
    });

    assert.equal(message.content[0].text, 'The total is 4217 euros, due in March.');
    const [request] = await stack.chatRequests();
    const user = request.body.messages.at(-1);
    const text = typeof user.content === 'string' ? user.content : user.content.map((p) => p.text ?? '').join('\n');
    assert.equal(text,
      'Document: Invoice 7 (PDF, text extracted by page)\nContext: Sent by ACME\n\n'
      + '--- Page 1 ---\nThe invoice total is 4217 euros\n--- Page 2 ---\nPayment is due in March\nSummarise this invoice.');
  });

  it('a damaged PDF is a typed 400 naming the block, and nothing reaches the model', async () => {
    await stack.reset();

    const error = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 200,
      messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQK' } }] }],
    }).then(() => null, (e) => e);

    assert.ok(error instanceof Anthropic.BadRequestError);
    assert.equal(error.error.error.message, 'messages.0.content.0: the PDF could not be read (damaged or not a PDF)');
    assert.deepEqual(await stack.chatRequests(), []);
  });
});
