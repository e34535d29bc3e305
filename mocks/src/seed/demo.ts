import type { Role, VillageKind } from '@liren/shared/contracts'

/** The demo town a person trying Liren signs in to. Openids start with `demo-` (the H5 identity picker lists them). */
export interface DemoMember {
  openid: string
  realName: string
  birthYear: number
  household: string
  status: 'pending' | 'verified'
  roles: Role[]
  representative?: boolean
}

export interface DemoVillage {
  code: string
  name: string
  kind: VillageKind
  grids: string[]
  households: { number: string; address: string; grid: string }[]
  members: DemoMember[]
}

export interface DemoTown {
  code: string
  name: string
  villages: DemoVillage[]
}

export const demoTown: DemoTown = {
  code: 'qingshan',
  name: '青山镇',
  villages: [
    {
      code: 'zhangjia',
      name: '张家村',
      kind: 'rural',
      grids: ['一组网格', '二组网格'],
      households: [
        { number: 'ZJ-001', address: '张家村一组 3 号', grid: '一组网格' },
        { number: 'ZJ-002', address: '张家村一组 8 号', grid: '一组网格' },
        { number: 'ZJ-003', address: '张家村二组 12 号', grid: '二组网格' },
        { number: 'ZJ-004', address: '张家村二组 15 号', grid: '二组网格' },
        { number: 'ZJ-005', address: '张家村二组 21 号', grid: '二组网格' },
      ],
      members: [
        { openid: 'demo-zhangjia-committee', realName: '王建国', birthYear: 1968, household: 'ZJ-001', status: 'verified', roles: ['resident', 'committee'] },
        { openid: 'demo-zhangjia-grid', realName: '李梅', birthYear: 1982, household: 'ZJ-002', status: 'verified', roles: ['resident', 'grid_worker'] },
        { openid: 'demo-zhangjia-resident', realName: '张秀兰', birthYear: 1956, household: 'ZJ-003', status: 'verified', roles: ['resident'], representative: true },
        { openid: 'demo-zhangjia-volunteer', realName: '赵小明', birthYear: 1995, household: 'ZJ-004', status: 'verified', roles: ['resident', 'volunteer'] },
        { openid: 'demo-zhangjia-applicant', realName: '孙福来', birthYear: 1949, household: 'ZJ-005', status: 'pending', roles: [] },
        { openid: 'demo-town-admin', realName: '周涛', birthYear: 1975, household: 'ZJ-001', status: 'verified', roles: ['town_admin'] },
      ],
    },
    {
      code: 'heping',
      name: '和平社区',
      kind: 'urban',
      grids: ['第一网格'],
      households: [
        { number: 'HP-101', address: '和平社区 1 栋 101 室', grid: '第一网格' },
        { number: 'HP-202', address: '和平社区 2 栋 202 室', grid: '第一网格' },
      ],
      members: [
        { openid: 'demo-heping-committee', realName: '陈静', birthYear: 1979, household: 'HP-101', status: 'verified', roles: ['resident', 'committee'] },
        { openid: 'demo-heping-resident', realName: '刘洋', birthYear: 1990, household: 'HP-202', status: 'verified', roles: ['resident'] },
        { openid: 'demo-town-admin', realName: '周涛', birthYear: 1975, household: 'HP-101', status: 'verified', roles: ['town_admin'] },
      ],
    },
  ],
}
