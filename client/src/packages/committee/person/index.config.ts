export default definePageConfig({ navigationBarTitleText: '花名册 · 人员' })
