export default definePageConfig({ navigationBarTitleText: '审核入村申请' })
