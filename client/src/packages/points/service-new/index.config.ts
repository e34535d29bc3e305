export default definePageConfig({ navigationBarTitleText: '发布互助' })
