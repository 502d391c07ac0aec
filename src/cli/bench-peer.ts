import express from 'express'
import wechat from 'wechat'

/**
 * The benchmark's peer: what a Node developer would otherwise write — Express with the `wechat` middleware,
 * answering every text message with a fixed string. Started by `npm run bench`, not part of the bot.
 */
const port = Number(process.env.PORT ?? 3901)
const app = express()
app.use(
  '/wechat',
  wechat({ token: process.env.WECHAT_TOKEN ?? 'bench-token' }, (_req, res) => {
    res.reply('您好，这是固定回复。')
  }),
)
app.listen(port, '127.0.0.1', () => console.log(`peer listening on ${port}`))
