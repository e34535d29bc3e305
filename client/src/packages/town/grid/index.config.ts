export default definePageConfig({ navigationBarTitleText: '网格设置' })
