import { describe, expect, it } from 'vitest'
import { encryptedReplyXml, parseWeChatXml, textReplyXml, WeChatXmlError } from '../../src/channels/wechat/xml.js'

// Message shapes follow WeChat's "接收普通消息" / "接收事件推送" documentation.
const TEXT = `<xml>
  <ToUserName><![CDATA[gh_7f083739789a]]></ToUserName>
  <FromUserName><![CDATA[oia2TjjewbmiOUlr6X-1crbLOvLw]]></FromUserName>
  <CreateTime>1714112445</CreateTime>
  <MsgType><![CDATA[text]]></MsgType>
  <Content><![CDATA[  出口信用保险 & <统保> 怎么赔？\n第二行  ]]></Content>
  <MsgId>24617329849117253</MsgId>
</xml>`

const VOICE = `<xml><ToUserName><![CDATA[gh_7f083739789a]]></ToUserName><FromUserName><![CDATA[oUser]]></FromUserName><CreateTime>1357290913</CreateTime><MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[media_id]]></MediaId><Format><![CDATA[amr]]></Format><Recognition><![CDATA[我想报损]]></Recognition><MsgId>1234567890123456</MsgId><MediaId16K><![CDATA[media_id_16k]]></MediaId16K></xml>`

const IMAGE = `<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[fromUser]]></FromUserName><CreateTime>1348831860</CreateTime><MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://mmbiz.qpic.cn/x?a=1&b=2]]></PicUrl><MediaId><![CDATA[media_id]]></MediaId><MsgId>1234567890123456</MsgId></xml>`

const SUBSCRIBE = `<?xml version="1.0" encoding="utf-8"?>
<xml><ToUserName><![CDATA[gh_22736e7e5679]]></ToUserName>
<FromUserName><![CDATA[ociip1cY31Nl9jOq3ENbQAQEooiI]]></FromUserName>
<CreateTime>1543031324</CreateTime>
<MsgType><![CDATA[event]]></MsgType>
<Event><![CDATA[subscribe]]></Event>
<EventKey><![CDATA[]]></EventKey>
</xml>`

const SUBSCRIBE_QR = `<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[FromUser]]></FromUserName><CreateTime>123456789</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event><EventKey><![CDATA[qrscene_123123]]></EventKey><Ticket><![CDATA[TICKET]]></Ticket></xml>`

const CLICK = `<xml><ToUserName><![CDATA[gh_22736e7e5679]]></ToUserName><FromUserName><![CDATA[ociip1cY31Nl9jOq3ENbQAQEooiI]]></FromUserName><CreateTime>1543031358</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[V1001_COUNT]]></EventKey></xml>`

const VIEW = `<xml><ToUserName><![CDATA[gh_555555555555]]></ToUserName><FromUserName><![CDATA[o3QQQQ]]></FromUserName><CreateTime>1520249183</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[VIEW]]></Event><EventKey><![CDATA[https://example.com/?a=1&b=2]]></EventKey><MenuId>442570109</MenuId></xml>`

const SCAN = `<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[FromUser]]></FromUserName><CreateTime>123456789</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[SCAN]]></Event><EventKey><![CDATA[SCENE_VALUE]]></EventKey><Ticket><![CDATA[TICKET]]></Ticket></xml>`

const SCANCODE_PUSH = `<xml><ToUserName><![CDATA[gh_e136c6e50636]]></ToUserName><FromUserName><![CDATA[oMgHVjngRipVsoxg6TuX3vz6glDg]]></FromUserName><CreateTime>1408090502</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[scancode_push]]></Event><EventKey><![CDATA[6]]></EventKey><ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType><ScanResult><![CDATA[1]]></ScanResult></ScanCodeInfo></xml>`

describe('parseWeChatXml', () => {
  it('text message: CDATA unwrapped verbatim, numbers kept as strings', () => {
    const m = parseWeChatXml(TEXT)
    expect(m).toEqual({
      ToUserName: 'gh_7f083739789a',
      FromUserName: 'oia2TjjewbmiOUlr6X-1crbLOvLw',
      CreateTime: '1714112445',
      MsgType: 'text',
      Content: '  出口信用保险 & <统保> 怎么赔？\n第二行  ',
      MsgId: '24617329849117253',
    })
    expect(typeof m.CreateTime).toBe('string')
  })

  it('keeps a 19-digit MsgId exact (beyond Number.MAX_SAFE_INTEGER)', () => {
    const id = '6054768590064713728'
    expect(Number(id).toString()).not.toBe(id) // would lose precision as a number
    const m = parseWeChatXml(`<xml><MsgType><![CDATA[text]]></MsgType><MsgId>${id}</MsgId><CreateTime>1409735668</CreateTime></xml>`)
    expect(m.MsgId).toBe(id)
    expect(m.CreateTime).toBe('1409735668')
    // Leading zeros and plain-text numbers are not normalised either.
    expect(parseWeChatXml('<xml><EventKey>007</EventKey><Latitude>23.137466</Latitude></xml>')).toEqual({
      EventKey: '007',
      Latitude: '23.137466',
    })
  })

  it('voice with Recognition', () => {
    const m = parseWeChatXml(VOICE)
    expect(m.MsgType).toBe('voice')
    expect(m.Recognition).toBe('我想报损')
    expect(m.Format).toBe('amr')
    expect(m.MediaId).toBe('media_id')
    expect(m.MediaId16K).toBe('media_id_16k')
    expect(m.MsgId).toBe('1234567890123456')
  })

  it('image (an & inside CDATA stays literal)', () => {
    const m = parseWeChatXml(IMAGE)
    expect(m).toMatchObject({ MsgType: 'image', PicUrl: 'http://mmbiz.qpic.cn/x?a=1&b=2', MediaId: 'media_id' })
  })

  it('events: subscribe (empty EventKey), subscribe via QR, CLICK, VIEW, SCAN', () => {
    const sub = parseWeChatXml(SUBSCRIBE)
    expect(sub).toMatchObject({ MsgType: 'event', Event: 'subscribe', EventKey: '', CreateTime: '1543031324' })
    expect(sub.FromUserName).toBe('ociip1cY31Nl9jOq3ENbQAQEooiI')
    expect(parseWeChatXml(SUBSCRIBE_QR)).toMatchObject({ Event: 'subscribe', EventKey: 'qrscene_123123', Ticket: 'TICKET' })
    expect(parseWeChatXml(CLICK)).toMatchObject({ Event: 'CLICK', EventKey: 'V1001_COUNT' })
    expect(parseWeChatXml(VIEW)).toMatchObject({ Event: 'VIEW', EventKey: 'https://example.com/?a=1&b=2', MenuId: '442570109' })
    expect(parseWeChatXml(SCAN)).toMatchObject({ Event: 'SCAN', EventKey: 'SCENE_VALUE', Ticket: 'TICKET' })
  })

  it('nested event info is flattened with a dot path', () => {
    expect(parseWeChatXml(SCANCODE_PUSH)).toMatchObject({
      Event: 'scancode_push',
      'ScanCodeInfo.ScanType': 'qrcode',
      'ScanCodeInfo.ScanResult': '1',
    })
  })

  it('safe-mode envelope and whitespace around CDATA (official Python sample quirk)', () => {
    const m = parseWeChatXml(
      '<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><Encrypt><![CDATA[hyzAe4Oz+/=]]></Encrypt><MsgType>  <![CDATA[video]]></MsgType></xml>',
    )
    expect(m).toEqual({ ToUserName: 'gh_10f6c3c3ac5a', Encrypt: 'hyzAe4Oz+/=', MsgType: 'video' })
  })

  it('decodes predefined entities and character references in plain text only', () => {
    expect(parseWeChatXml('<xml><Content>a &amp; b &lt;c&gt; &#x4E2D;&#25991;</Content></xml>').Content).toBe('a & b <c> 中文')
    expect(parseWeChatXml('<xml><Content><![CDATA[&amp;]]></Content></xml>').Content).toBe('&amp;')
    expect(() => parseWeChatXml('<xml><Content>&xxe;</Content></xml>')).toThrow(WeChatXmlError)
    expect(() => parseWeChatXml('<xml><Content>a & b</Content></xml>')).toThrow(WeChatXmlError)
  })

  it('refuses DOCTYPE / ENTITY (XXE, billion laughs) without expanding anything', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><ToUserName>&xxe;</ToUserName></xml>`
    const bomb = `<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><xml><Content>&c;</Content></xml>`
    const lower = `<!doctype xml><xml><A>1</A></xml>`
    const bareEntity = `<xml><A>1</A></xml><!ENTITY x "y">`
    for (const body of [xxe, bomb, lower, bareEntity]) {
      expect(() => parseWeChatXml(body)).toThrow(/DOCTYPE\/ENTITY/)
    }
  })

  it('rejects malformed and truncated XML', () => {
    const full = TEXT
    for (const cut of [10, 50, full.length - 10, full.length - 3]) {
      expect(() => parseWeChatXml(full.slice(0, cut)), `cut at ${cut}`).toThrow(WeChatXmlError)
    }
    for (const bad of ['', '   ', 'success', '<xml><ToUserName>oops</xml>', '<xml><a></b></xml>', '{"json":true}', '<xml><A><![CDATA[x]]></A>']) {
      expect(() => parseWeChatXml(bad), bad).toThrow(WeChatXmlError)
    }
  })

  it('prototype-polluting tag names are rejected', () => {
    expect(() => parseWeChatXml('<xml><__proto__><polluted>1</polluted></__proto__></xml>')).toThrow(WeChatXmlError)
    expect(() => parseWeChatXml('<xml><constructor>x</constructor></xml>')).toThrow(WeChatXmlError)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('requires a single <xml> root', () => {
    expect(() => parseWeChatXml('<foo><A>1</A></foo>')).toThrow(/root/)
    expect(() => parseWeChatXml('<xml><A>1</A></xml><xml><A>2</A></xml>')).toThrow(/root/)
    expect(() => parseWeChatXml('<xml><A>1</A></xml><b/>')).toThrow(/root/)
    expect(parseWeChatXml('<xml></xml>')).toEqual({})
  })
})

describe('textReplyXml', () => {
  it('passive text reply with CDATA, CreateTime in seconds', () => {
    const xml = textReplyXml({ toUser: 'oUser', fromUser: 'gh_account', createTime: 1714112446, content: '您好，统保咨询 & <测试>' })
    expect(xml).toBe(
      '<xml><ToUserName><![CDATA[oUser]]></ToUserName><FromUserName><![CDATA[gh_account]]></FromUserName>' +
        '<CreateTime>1714112446</CreateTime><MsgType><![CDATA[text]]></MsgType>' +
        '<Content><![CDATA[您好，统保咨询 & <测试>]]></Content></xml>',
    )
    expect(parseWeChatXml(xml)).toEqual({
      ToUserName: 'oUser',
      FromUserName: 'gh_account',
      CreateTime: '1714112446',
      MsgType: 'text',
      Content: '您好，统保咨询 & <测试>',
    })
  })

  it('a "]]>" in the content round-trips through parseWeChatXml', () => {
    for (const content of ['a]]>b', ']]>', 'x]]>]]>y', 'ends with ]]', ']]]>>', '<![CDATA[inner]]>', '换行\n保留 ']) {
      const xml = textReplyXml({ toUser: 'u', fromUser: 'f', createTime: 1, content })
      expect(parseWeChatXml(xml).Content, content).toBe(content)
    }
  })

  it('drops characters that XML 1.0 cannot carry', () => {
    const xml = textReplyXml({ toUser: 'u', fromUser: 'f', createTime: 1, content: 'a\u0000b\u0007c\u000bd\ud800e😀' })
    expect(parseWeChatXml(xml).Content).toBe('abcde😀')
  })

  it('rejects a millisecond or invalid createTime', () => {
    expect(() => textReplyXml({ toUser: 'u', fromUser: 'f', createTime: Date.now(), content: 'x' })).toThrow(/seconds/)
    expect(() => textReplyXml({ toUser: 'u', fromUser: 'f', createTime: NaN, content: 'x' })).toThrow()
    expect(textReplyXml({ toUser: 'u', fromUser: 'f', createTime: 1714112446.9, content: 'x' })).toContain('<CreateTime>1714112446</CreateTime>')
  })
})

describe('encryptedReplyXml', () => {
  it('has the layout of the official samples', () => {
    const xml = encryptedReplyXml({ encrypt: 'abc+/=', signature: '03e0812039325c2712ef5f0f980fd14c70d6e307', timestamp: '1713424427', nonce: '415670741' })
    expect(xml).toBe(
      '<xml><Encrypt><![CDATA[abc+/=]]></Encrypt><MsgSignature><![CDATA[03e0812039325c2712ef5f0f980fd14c70d6e307]]></MsgSignature>' +
        '<TimeStamp>1713424427</TimeStamp><Nonce><![CDATA[415670741]]></Nonce></xml>',
    )
    expect(parseWeChatXml(xml)).toEqual({
      Encrypt: 'abc+/=',
      MsgSignature: '03e0812039325c2712ef5f0f980fd14c70d6e307',
      TimeStamp: '1713424427',
      Nonce: '415670741',
    })
    expect(() => encryptedReplyXml({ encrypt: 'a', signature: 'b', timestamp: '1<x/>', nonce: 'n' })).toThrow()
  })
})

describe('fast path for the canonical shape', () => {
  const samples = [
    `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o-1]]></FromUserName><CreateTime>1790000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[买家欠了10万美元 <能赔> & 多少]]></Content><MsgId>23456789012345678901</MsgId></xml>`,
    `<xml>\n  <ToUserName><![CDATA[gh_1]]></ToUserName>\n  <Content><![CDATA[]]></Content>\n  <Event> subscribe </Event>\n</xml>\n`,
    `<?xml version="1.0" encoding="utf-8"?><xml><MsgType><![CDATA[voice]]></MsgType><Recognition><![CDATA[保险期限多久]]></Recognition><Format>amr</Format></xml>`,
  ]
  it.each(samples)('gives the same fields as the full parser: %#', (body) => {
    // A comment takes the body off the fast path, so the library parses it.
    const slow = parseWeChatXml(body.replace('<xml>', '<xml><!-- full parser -->'))
    expect(parseWeChatXml(body)).toEqual(slow)
  })

  it('still refuses what the full parser refuses', () => {
    expect(() => parseWeChatXml('<xml><A>1</B></xml>')).toThrow()
    expect(() => parseWeChatXml('<xml><A>x &bogus; y</A></xml>')).toThrow()
    expect(() => parseWeChatXml('<xml><__proto__>x</__proto__></xml>')).toThrow()
  })
})
