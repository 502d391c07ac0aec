import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { managersSchema } from '../../src/knowledge/schema.js'
import { createPlaceResolver, streetsSchema, type StreetsFile } from '../../src/policy/places.js'

const readJson = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../knowledge/${name}`, import.meta.url), 'utf8'))
const streets = streetsSchema.parse(readJson('streets.json'))
const managerDistricts = managersSchema.parse(readJson('managers.json')).groups.flatMap((g) => g.districts)
const resolver = createPlaceResolver(streets, managerDistricts)
const resolve = (text: string) => resolver.resolve(text)

const clone = (): StreetsFile => structuredClone(streets)

describe('knowledge/streets.json', () => {
  it('covers exactly the districts in managers.json', () => {
    expect([...resolver.districts].sort()).toEqual([...managerDistricts].sort())
    expect(resolver.districts).toHaveLength(12)
  })

  it('lists streets without the 街道 suffix', () => {
    for (const d of streets.districts) for (const s of d.streets) expect(s).not.toMatch(/街道$|镇$/)
  })

  it('has the expected number of streets per district', () => {
    const counts = Object.fromEntries(streets.districts.map((d) => [d.name, d.streets.length]))
    expect(counts).toEqual({
      罗湖区: 10, 福田区: 10, 南山区: 8, 盐田区: 4, 宝安区: 10, 龙岗区: 11,
      龙华区: 6, 坪山区: 6, 光明区: 6, 大鹏新区: 3, 深汕特别合作区: 4, 前海深港合作区: 0,
    })
  })
})

describe('resolve: districts and aliases', () => {
  it.each(managerDistricts)('full name %s', (name) => {
    expect(resolve(name)).toEqual({ district: name, via: 'district', matched: name })
    expect(resolve(`我们公司注册在深圳市${name}，想问下统保`)).toEqual({ district: name, via: 'district', matched: name })
  })

  it.each([
    ['罗湖', '罗湖区'],
    ['福田', '福田区'],
    ['南山', '南山区'],
    ['盐田', '盐田区'],
    ['宝安', '宝安区'],
    ['龙岗', '龙岗区'],
    ['龙华', '龙华区'],
    ['龙华新区', '龙华区'],
    ['坪山', '坪山区'],
    ['坪山新区', '坪山区'],
    ['光明', '光明区'],
    ['光明新区', '光明区'],
    ['大鹏', '大鹏新区'],
    ['深汕', '深汕特别合作区'],
    ['深汕合作区', '深汕特别合作区'],
    ['前海', '前海深港合作区'],
    ['前海合作区', '前海深港合作区'],
    ['前海深港', '前海深港合作区'],
    ['前海自贸区', '前海深港合作区'],
  ])('alias %s → %s', (alias, district) => {
    expect(resolve(alias)).toEqual({ district, via: 'alias', matched: alias })
    expect(resolve(`公司在${alias}那边`)).toEqual({ district, via: 'alias', matched: alias })
  })

  it('prefers the full name over an alias inside it', () => {
    expect(resolve('光明区')).toEqual({ district: '光明区', via: 'district', matched: '光明区' })
    expect(resolve('我们在龙岗区')).toEqual({ district: '龙岗区', via: 'district', matched: '龙岗区' })
    expect(resolve('深汕特别合作区鹅埠')).toEqual({ district: '深汕特别合作区', via: 'district', matched: '深汕特别合作区' })
  })
})

describe('resolve: streets', () => {
  const allStreets = streets.districts.flatMap((d) => d.streets.map((s) => [s, d.name] as const))

  it.each(allStreets)('street %s → %s', (street, district) => {
    // Streets that share their district's name (福田, 南山 …) resolve as the alias; the district is what matters.
    expect(resolve(`我们公司在${street}街道`)?.district).toBe(district)
  })

  it.each([
    ['公司在沙头角那边', '盐田区', '沙头角'],
    ['沙头角', '盐田区', '沙头角'],
    ['沙头街道', '福田区', '沙头街道'],
    ['在沙头', '福田区', '沙头'],
    ['鹅埠镇', '深汕特别合作区', '鹅埠镇'],
    ['沙井街', '宝安区', '沙井街'],
    ['南湖', '罗湖区', '南湖'],
    ['新安', '宝安区', '新安'],
    ['福保', '福田区', '福保'],
    ['大浪', '龙华区', '大浪'],
    ['石井', '坪山区', '石井'],
    ['福永', '宝安区', '福永'],
    ['华强北那边', '福田区', '华强北'],
    ['香蜜湖', '福田区', '香蜜湖'],
    ['清水河', '罗湖区', '清水河'],
    ['蛇口', '南山区', '蛇口'],
    ['招商街道', '南山区', '招商街道'],
    ['坂田', '龙岗区', '坂田'],
    ['观澜', '龙华区', '观澜'],
    ['公明', '光明区', '公明'],
    ['葵涌', '大鹏新区', '葵涌'],
    ['鲘门', '深汕特别合作区', '鲘门'],
  ])('%s → %s', (text, district, matched) => {
    expect(resolve(text)).toEqual({ district, via: 'street', matched })
  })

  it('uses the district when both a district and a street are named', () => {
    expect(resolve('我们在宝安区沙井街道')).toEqual({ district: '宝安区', via: 'district', matched: '宝安区' })
    expect(resolve('我们在沙井，注册在宝安')).toEqual({ district: '宝安区', via: 'alias', matched: '宝安' })
    expect(resolve('盐田区沙头角')).toEqual({ district: '盐田区', via: 'district', matched: '盐田区' })
  })

  it('takes the first of two districts named the same way', () => {
    expect(resolve('注册在福田，工厂在宝安')?.district).toBe('福田区')
  })
})

describe('resolve: not places', () => {
  it.each([
    '中国',
    '中国出口信用保险公司',
    '深圳市',
    '请问统保怎么申请',
    '出口额500万美元，赔付比例多少',
    '我们用招商银行收汇',
    '招商局的客户',
    '能不能重新安排一下',
    '软件要重新安装',
    '买了幸福保险',
    '做生意要光明正大',
    '福田汽车的配件',
    '',
  ])('%j', (text) => {
    expect(resolve(text)).toBeUndefined()
  })
})

describe('createPlaceResolver: checks the file against managers.json', () => {
  it('names streets.json and a district managers.json does not know', () => {
    const file = clone()
    file.districts.push({ name: '坪地区', en: 'Pingdi', aliases: [], streets: [], pinyin: [], streetPinyin: {} })
    expect(() => createPlaceResolver(file, managerDistricts)).toThrow(/streets\.json.*坪地区/)
  })

  it('names streets.json and a managers.json district it lacks', () => {
    const file = clone()
    file.districts = file.districts.filter((d) => d.name !== '大鹏新区')
    expect(() => createPlaceResolver(file, managerDistricts)).toThrow(/streets\.json.*大鹏新区/)
  })

  it('rejects a name that belongs to two districts', () => {
    const file = clone()
    file.districts.find((d) => d.name === '罗湖区')!.streets.push('沙井')
    expect(() => createPlaceResolver(file, managerDistricts)).toThrow(/streets\.json.*沙井.*(宝安区|罗湖区)/)
  })

  it('rejects a district listed twice', () => {
    const file = clone()
    file.districts.push({ name: '罗湖区', en: 'Luohu', aliases: [], streets: [], pinyin: [], streetPinyin: {} })
    expect(() => createPlaceResolver(file, managerDistricts)).toThrow(/streets\.json.*罗湖区/)
  })

  it('rejects a file that does not match the schema', () => {
    expect(() => createPlaceResolver({ districts: [{ name: '罗湖区', aliases: [], streets: ['东门街道'] }] }, ['罗湖区'])).toThrow(
      /streets\.json.*streets/,
    )
    expect(() => createPlaceResolver({}, managerDistricts)).toThrow(/streets\.json/)
  })

  it('accepts the real files', () => {
    expect(() => createPlaceResolver(readJson('streets.json'), managerDistricts)).not.toThrow()
  })
})

describe('pinyin in English questions', () => {
  it.each([
    ["who is the account manager for bao'an?", '宝安区'],
    ['our factory is in baoan district', '宝安区'],
    ['we are in shajing', '宝安区'],
    ['nanshan', '南山区'],
    ['office near sha tau kok', '盐田区'],
    ['qianhai', '前海深港合作区'],
    ['shenshan zone', '深汕特别合作区'],
    ['longhua', '龙华区'],
  ])('%s → %s', (text, district) => {
    expect(resolve(text)?.district).toBe(district)
  })

  it('takes pinyin only as a whole word', () => {
    expect(resolve('bujiao and futianx')).toBeUndefined()
  })

  it('rejects street pinyin that points at a street of another district', () => {
    const file = clone()
    file.districts.find((d) => d.name === '罗湖区')!.streetPinyin['shajin'] = '沙井'
    expect(() => createPlaceResolver(file, managerDistricts)).toThrow(/streets\.json.*沙井/)
  })
})
