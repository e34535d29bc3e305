export default definePageConfig({ navigationBarTitleText: '花名册 · 按户查看' })
