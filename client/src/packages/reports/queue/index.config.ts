export default definePageConfig({ navigationBarTitleText: '处理上报' })
